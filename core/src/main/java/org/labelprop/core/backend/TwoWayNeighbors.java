package org.labelprop.core.backend;

import org.labelprop.core.graph.Neighbors;

/**
 * The two sides of one search of queries against base rows ({@link Backend#nearestBothWays}).
 *
 * @param ofQueries each query's nearest base rows, as base row numbers
 * @param ofBase each base row's nearest queries, as positions in the queries' index array
 */
public record TwoWayNeighbors(Neighbors ofQueries, Neighbors ofBase) {
}

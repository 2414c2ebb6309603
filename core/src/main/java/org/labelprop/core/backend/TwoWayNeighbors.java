package org.labelprop.core.backend;

import org.labelprop.core.graph.Neighbors;

/**
 * The two sides of one search of queries against base rows ({@link Backend#nearestBothWays}).
 *
 * @param ofQueries each query's nearest base rows, as positions among the base rows
 * @param ofBase each base row's nearest queries, as positions among the queries
 */
public record TwoWayNeighbors(Neighbors ofQueries, Neighbors ofBase) {
}

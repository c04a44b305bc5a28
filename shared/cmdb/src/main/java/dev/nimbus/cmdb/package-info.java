/**
 * The CMDB: configuration items kept the way AWS Config keeps them. {@link
 * dev.nimbus.cmdb.CmdbService} applies a discovery snapshot (write only what changed, history per
 * change, unreachable instead of deleted); {@link dev.nimbus.cmdb.CiRepository} is the storage
 * seam, with {@link dev.nimbus.cmdb.dynamodb.DynamoDbCiRepository} on the one table and {@link
 * dev.nimbus.cmdb.InMemoryCiRepository} for unit tests.
 */
package dev.nimbus.cmdb;

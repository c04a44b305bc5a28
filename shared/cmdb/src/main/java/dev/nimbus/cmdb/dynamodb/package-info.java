/**
 * The CMDB on the one DynamoDB table through the Enhanced Client. The item classes ({@code CiItem},
 * {@code CiHistoryItem}, {@code RunItem}, {@code DiscoveryStateItem} and their nested parts) are
 * storage shapes only: they are public because the Enhanced Client maps them by reflection, but
 * callers use the domain records of {@code dev.nimbus.cmdb}. {@link
 * dev.nimbus.cmdb.dynamodb.CiItemCodec} decodes raw stream images.
 */
package dev.nimbus.cmdb.dynamodb;

/**
 * The provider-neutral semantic layer of Nimbus: semantic types, configuration items (CIs) with
 * typed relationships, discovery snapshots, usage samples and {@link
 * dev.nimbus.model.CloudProviderInterface}, which every cloud provider implements. No Spring and no
 * AWS types live here, so any runtime can use it.
 */
package dev.nimbus.model;

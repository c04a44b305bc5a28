package dev.nimbus.infra;

import com.pulumi.resources.CustomResourceOptions;
import com.pulumi.resources.ProviderResource;

/**
 * The Pulumi package every program deploys with, pinned: {@code proxmoxve} 8.3.0 (the Pulumi bridge
 * of the bpg/proxmox Terraform provider v0.111.1). The resource classes in {@code
 * dev.nimbus.infra.resources} were checked against this version's published schema; the runtime
 * image must carry exactly this plugin (see functions/pulumi-runner/Dockerfile).
 */
public final class ProxmoxVePackage {
  /**
   * The Pulumi package name, also the provider resource type {@code pulumi:providers:proxmoxve}.
   */
  public static final String NAME = "proxmoxve";

  /** The plugin version the programs were written against and the image installs. */
  public static final String VERSION = "8.3.0";

  /** The upstream Terraform provider this plugin version bridges. */
  public static final String UPSTREAM = "bpg/proxmox v0.111.1";

  /**
   * Where the engine downloads the plugin when it is missing: the bridge's own releases (the
   * package's {@code pluginDownloadURL}). The image installs it ahead of time, so a run never
   * downloads anything.
   */
  public static final String PLUGIN_DOWNLOAD_URL =
      "github://api.github.com/muhlba91/pulumi-proxmoxve";

  private ProxmoxVePackage() {}

  /**
   * Options for every proxmoxve resource: the pinned version and download location and the explicit
   * provider (never the default provider, which would read its settings from stack configuration or
   * the environment).
   */
  public static CustomResourceOptions options(ProviderResource provider) {
    return CustomResourceOptions.builder()
        .provider(provider)
        .version(VERSION)
        .pluginDownloadURL(PLUGIN_DOWNLOAD_URL)
        .build();
  }

  /** As {@link #options(ProviderResource)}, created after {@code dependsOn}. */
  public static CustomResourceOptions options(
      ProviderResource provider, com.pulumi.resources.Resource... dependsOn) {
    return CustomResourceOptions.builder()
        .provider(provider)
        .version(VERSION)
        .pluginDownloadURL(PLUGIN_DOWNLOAD_URL)
        .dependsOn(dependsOn)
        .build();
  }
}

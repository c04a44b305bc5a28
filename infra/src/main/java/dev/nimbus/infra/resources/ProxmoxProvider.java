package dev.nimbus.infra.resources;

import com.pulumi.core.Output;
import com.pulumi.core.annotations.Import;
import com.pulumi.core.annotations.ResourceType;
import com.pulumi.resources.CustomResourceOptions;
import com.pulumi.resources.ProviderResource;
import com.pulumi.resources.ResourceArgs;
import dev.nimbus.infra.ProxmoxVePackage;
import dev.nimbus.model.Secret;
import java.util.Objects;

/**
 * The explicit proxmoxve provider of a run ({@code pulumi:providers:proxmoxve}). Its endpoint is
 * the run's loopback forwarder, its API token a secret output (so the engine encrypts it in state
 * with the stack's secrets provider), TLS is verified ({@code insecure} false, TLS 1.3 like the
 * provider's default) and no SSH settings are given: the programs only use what the API offers.
 */
@ResourceType(type = "pulumi:providers:proxmoxve")
public final class ProxmoxProvider extends ProviderResource {

  public ProxmoxProvider(String name, Args args) {
    super(
        ProxmoxVePackage.NAME,
        name,
        args,
        CustomResourceOptions.builder()
            .version(ProxmoxVePackage.VERSION)
            .pluginDownloadURL(ProxmoxVePackage.PLUGIN_DOWNLOAD_URL)
            .build());
  }

  /** The provider's inputs (schema {@code config} / provider {@code inputProperties}). */
  public static final class Args extends ResourceArgs {
    @Import(name = "endpoint", required = true)
    private final Output<String> endpoint;

    @Import(name = "apiToken")
    private final Output<String> apiToken;

    @Import(name = "insecure")
    private final Output<Boolean> insecure;

    @Import(name = "minTls")
    private final Output<String> minTls;

    /**
     * @param endpoint the API endpoint the provider talks to, {@code https://127.0.0.1:port/}
     * @param tokenId {@code user@realm!name}
     * @param tokenSecret revealed here only, into a secret output
     */
    public Args(String endpoint, String tokenId, Secret tokenSecret) {
      Objects.requireNonNull(endpoint, "endpoint");
      Objects.requireNonNull(tokenId, "tokenId");
      Objects.requireNonNull(tokenSecret, "tokenSecret");
      this.endpoint = Output.of(endpoint);
      // The provider's api_token format is "user@realm!tokenid=secret".
      this.apiToken = Output.ofSecret(tokenId + "=" + tokenSecret.reveal());
      this.insecure = Output.of(false);
      this.minTls = Output.of("1.3");
    }

    @Override
    public String toString() {
      return "ProxmoxProvider.Args[apiToken=<secret>]";
    }
  }
}

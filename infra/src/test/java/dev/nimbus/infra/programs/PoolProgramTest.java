package dev.nimbus.infra.programs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.nimbus.connections.FieldError;
import dev.nimbus.infra.ResourceKind;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class PoolProgramTest {
  @Test
  void createsANestedPoolThroughTheExplicitProvider() {
    var mocks = new RecordingMocks();
    var plan =
        new PoolProgram()
            .plan(
                Map.of("poolId", "prod/web/blue", "comment", "blue fleet"),
                ProgramTestSupport.inventory());
    var result = ProgramTestSupport.run(mocks, plan);
    assertThat(result.exceptions()).isEmpty();
    var pool = mocks.only(ResourceKind.POOL.token());
    assertThat(pool.type()).isEqualTo("proxmoxve:index/poolLegacy:PoolLegacy");
    assertThat(pool.inputs()).isEqualTo(Map.of("poolId", "prod/web/blue", "comment", "blue fleet"));
    assertThat(pool.provider()).contains("pulumi:providers:proxmoxve::proxmox");
  }

  @Test
  void refusesAMissingParentAndAnUnmanagedExistingPool() {
    var e =
        catchThrowableOfType(
            InputException.class,
            () ->
                new PoolProgram()
                    .plan(Map.of("poolId", "dev/api"), ProgramTestSupport.inventory()));
    assertThat(e.errors())
        .containsExactly(new FieldError("poolId", "parent pool 'dev' does not exist"));
    var taken =
        catchThrowableOfType(
            InputException.class,
            () -> new PoolProgram().plan(Map.of("poolId", "prod"), ProgramTestSupport.inventory()));
    assertThat(taken.errors())
        .containsExactly(
            new FieldError("poolId", "pool 'prod' exists already and is not managed by Nimbus"));
  }
}

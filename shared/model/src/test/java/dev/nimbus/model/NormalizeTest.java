package dev.nimbus.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class NormalizeTest {

  @Test
  void tagsAreSplitOnEveryProxmoxSeparatorLowerCasedSortedAndDeduplicated() {
    assertThat(Normalize.tags("Prod;web, db  web")).containsExactly("db", "prod", "web");
    assertThat(Normalize.tags(null)).isEmpty();
    assertThat(Normalize.tags(" ; ")).isEmpty();
  }

  @Test
  void commaListsAreSortedBecauseProxmoxOrderIsNotMeaningful() {
    assertThat(Normalize.sortedList("eno2,eno1; eno3")).containsExactly("eno1", "eno2", "eno3");
  }

  @Test
  void macAddressesAreLowerCaseWithColons() {
    assertThat(Normalize.mac("BC:24:11:AB:CD:EF")).isEqualTo("bc:24:11:ab:cd:ef");
    assertThat(Normalize.mac("bc-24-11-ab-cd-ef")).isEqualTo("bc:24:11:ab:cd:ef");
    assertThat(Normalize.mac(null)).isNull();
  }

  @ParameterizedTest(name = "{0} with default unit {1} is {2} bytes")
  @CsvSource({"32G,B,34359738368", "512M,B,536870912", "4096,M,4294967296", "1.5T,B,1649267441664"})
  void sizesWithProxmoxSuffixesBecomeBytes(String raw, char unit, long bytes) {
    assertThat(Normalize.bytes(raw, unit)).isEqualTo(bytes);
  }

  @Test
  void aSizeThatIsNotOneSaysSo() {
    assertThatThrownBy(() -> Normalize.bytes("abc", 'B')).hasMessageContaining("'abc'");
    assertThatThrownBy(() -> Normalize.bytes("12X", 'B')).hasMessageContaining("unit");
  }
}

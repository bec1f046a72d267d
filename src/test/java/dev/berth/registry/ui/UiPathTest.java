package dev.berth.registry.ui;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class UiPathTest {

    private static final String MANIFEST = "/r/team/app/-/manifest/sha256:" + "ab".repeat(32);

    @Test
    void everyLayerOfAManifestOf36000LayersHasAPage() {
        for (int layer : new int[] {0, 9_999, 10_000, 35_999}) {
            UiPath path = UiPath.parse(MANIFEST + "/layer/" + layer);
            assertThat(path.page()).isEqualTo(UiPath.Page.LAYER);
            assertThat(path.layer()).isEqualTo(layer);
            assertThat(path.repository().value()).isEqualTo("team/app");
        }
        assertThat(UiPath.parse(MANIFEST + "/layer/999999999").layer()).isEqualTo(999_999_999);
    }

    @Test
    void aLayerNumberBeyondNineDigitsOrNotANumberIsNoPage() {
        for (String layer : new String[] {"1000000000", "99999999999999999999", "-1", "1e3", ""}) {
            assertThatThrownBy(() -> UiPath.parse(MANIFEST + "/layer/" + layer)).as(layer).isInstanceOf(NotFoundException.class);
        }
    }
}

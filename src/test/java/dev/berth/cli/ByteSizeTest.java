package dev.berth.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ByteSizeTest {

    @Test
    void parsesDockersUnits() {
        assertThat(ByteSize.parse("512")).isEqualTo(512);
        assertThat(ByteSize.parse("16m")).isEqualTo(16L << 20);
        assertThat(ByteSize.parse("16MB")).isEqualTo(16L << 20);
        assertThat(ByteSize.parse("1.5g")).isEqualTo(3L << 29);
        assertThat(ByteSize.parse("64k")).isEqualTo(65536);
        assertThatThrownBy(() -> ByteSize.parse("lots")).hasMessageContaining("invalid size lots");
        assertThatThrownBy(() -> ByteSize.parse("5t")).hasMessageContaining("invalid size");
    }
}

package dev.berth.registry.distribution;

import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

/** Buffers lent for the length of a callback; at most {@code kept} stay allocated between uses. */
final class BufferPool {

    private final int size;
    private final int kept;
    private final ConcurrentLinkedQueue<byte[]> free = new ConcurrentLinkedQueue<>();
    private final AtomicInteger freeCount = new AtomicInteger();

    BufferPool(int size, int kept) {
        this.size = size;
        this.kept = kept;
    }

    byte[] take() {
        byte[] buffer = free.poll();
        if (buffer == null) {
            return new byte[size];
        }
        freeCount.decrementAndGet();
        return buffer;
    }

    void giveBack(byte[] buffer) {
        if (freeCount.incrementAndGet() <= kept) {
            free.offer(buffer);
        } else {
            freeCount.decrementAndGet();
        }
    }
}

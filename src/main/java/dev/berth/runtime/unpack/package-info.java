/** Unpacking a layer into a snapshot, confined to it: whiteouts in overlay form, metadata never set through a link. */
package dev.berth.runtime.unpack;

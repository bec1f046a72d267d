/** The UI's layer browser: each layer's listing, read once and kept, and file trees across layers. */
package dev.berth.registry.ui.layer;

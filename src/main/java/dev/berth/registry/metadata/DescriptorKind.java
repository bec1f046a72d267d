package dev.berth.registry.metadata;

/** What a descriptor of a manifest ({@code manifest_references.kind}) is to it. */
public enum DescriptorKind { CONFIG, LAYER, CHILD }

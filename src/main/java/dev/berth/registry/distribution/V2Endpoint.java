package dev.berth.registry.distribution;

/** One resource of the distribution API. */
interface V2Endpoint {

    /** The route kind this endpoint answers. */
    V2Route.Kind kind();

    /** Its methods, each declared once with what it needs and its handler; read once, at start. */
    V2Methods methods();
}

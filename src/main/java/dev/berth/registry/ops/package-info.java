/** Operations: the access log, health indicators, and who may read the actuator's details and metrics. */
package dev.berth.registry.ops;

package dev.berth.registry.ui;

/** A page asked for something that is not there: answered with the friendly 404 page. */
class NotFoundException extends RuntimeException {

    NotFoundException(String message) {
        super(message);
    }
}

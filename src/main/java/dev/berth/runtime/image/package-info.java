/** Local images: the reference index, pulls, the layer fetch and image removal. */
package dev.berth.runtime.image;

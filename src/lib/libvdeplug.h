/*
 * libvdeplug.h: the VDE 2 client API (placeholder until issue 8 lands).
 */
#ifndef LIBVDEPLUG_H
#define LIBVDEPLUG_H
#endif

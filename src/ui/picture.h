/*
 * picture.h — the terminal layer's drawing service for --format svg|png:
 * the tutor's panels drawn into a cell surface and painted with cairo.
 *
 * Contract: a front end (main, a unit test) calls ui_picture_install() once
 * at start, before any report; without it the formats say pictures are not
 * available in this build.
 */
#ifndef MPTUTOR_UI_PICTURE_H
#define MPTUTOR_UI_PICTURE_H

/* Install the service into export/picture.h's hook. */
void ui_picture_install(void);

#endif

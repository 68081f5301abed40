"""The unified control library, its coverage of criteria and objectives, and which controls to adopt."""

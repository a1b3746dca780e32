"""The offline map: base layers (MBTiles, a scanned image, opt-in OSM), sites, cameras and their wedges."""

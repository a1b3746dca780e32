"""A recorder's clip downloaded by its file API into the console's own signed evidence export: the glue between
console.nvr (the adapters, which import nothing of the media) and console.media.export."""

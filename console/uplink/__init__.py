"""The commune's uplink to the province: the topic schema, the outbox rows written with the local ones, and the
MQTT publisher (its own network loop thread, never the GUI's). Nothing here imports Qt."""

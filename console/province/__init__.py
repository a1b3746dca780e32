"""The province's side of the uplink (issue 20): its config, the receiver of every commune's messages, its store
and the plain-data queries a province window shows. No Qt here."""

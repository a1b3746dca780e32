"""The *Thêm camera* wizard's controller: find ONVIF cameras, read them with shared credentials, test their
streams, and write them (and a new site) into the site file and the credentials store. No Qt here: the
dialog under console/ui/onboarding drives it from the ONVIF network loop."""

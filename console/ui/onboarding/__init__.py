"""*Thêm camera*: the technician's wizard that finds ONVIF cameras, reads and tests them, places them on the
map and saves them into the site file (controller: console/onboarding)."""

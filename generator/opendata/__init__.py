"""Open data: the portal's records as a Frictionless data package, Open311 GeoReport v2, Atom feeds and report tables.

Import the modules themselves (generator.opendata.bundle …): this package imports nothing, so that
`huiyin validate` does not pay for pyarrow.
"""

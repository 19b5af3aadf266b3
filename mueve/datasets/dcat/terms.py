"""RDF namespaces and the concept schemes (EU authority tables, ADMS) that the export and the harvester share."""

from rdflib import Namespace, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF, RDF, RDFS, SKOS, XSD

from mueve.datasets.models.vocab import EU_AUTHORITY

ADMS = Namespace("http://www.w3.org/ns/adms#")
DCATAP = Namespace("http://data.europa.eu/r5r/")
GSP = Namespace("http://www.opengis.net/ont/geosparql#")
LOCN = Namespace("http://www.w3.org/ns/locn#")
SPDX = Namespace("http://spdx.org/rdf/terms#")
VCARD = Namespace("http://www.w3.org/2006/vcard/ns#")
# DCAT 3 terms that rdflib's (DCAT 2) closed namespace lacks.
DCAT_VERSION = URIRef("http://www.w3.org/ns/dcat#version")
IANA_MEDIA_TYPES = "https://www.iana.org/assignments/media-types/"

SCHEME_THEME = f"{EU_AUTHORITY}data-theme"
SCHEME_FREQUENCY = f"{EU_AUTHORITY}frequency"
SCHEME_ACCESS_RIGHT = f"{EU_AUTHORITY}access-right"
SCHEME_FILE_TYPE = f"{EU_AUTHORITY}file-type"
SCHEME_LANGUAGE = f"{EU_AUTHORITY}language"
SCHEME_COUNTRY = f"{EU_AUTHORITY}country"
SCHEME_AVAILABILITY = f"{EU_AUTHORITY}planned-availability"
SCHEME_PUBLISHER_TYPE = "http://purl.org/adms/publishertype/1.0"
SCHEME_LICENCE_TYPE = "http://purl.org/adms/licencetype/1.0"
PUBLISHER_TYPE = "http://purl.org/adms/publishertype/"
LICENCE_TYPE = "http://purl.org/adms/licencetype/"
# Each scheme's title (a skos:ConceptScheme needs one), as the EU publishes it.
SCHEME_TITLES = {
    SCHEME_THEME: "Data theme",
    SCHEME_FREQUENCY: "Frequency",
    SCHEME_ACCESS_RIGHT: "Access right",
    SCHEME_FILE_TYPE: "File type",
    SCHEME_LANGUAGE: "Language",
    SCHEME_COUNTRY: "Country",
    SCHEME_AVAILABILITY: "Planned availability",
    SCHEME_PUBLISHER_TYPE: "Publisher type",
    SCHEME_LICENCE_TYPE: "Licence type",
}

BINDINGS = {
    "dcat": DCAT,
    "dct": DCTERMS,
    "foaf": FOAF,
    "rdf": RDF,
    "rdfs": RDFS,
    "skos": SKOS,
    "xsd": XSD,
    "adms": ADMS,
    "dcatap": DCATAP,
    "gsp": GSP,
    "locn": LOCN,
    "spdx": SPDX,
    "vcard": VCARD,
}

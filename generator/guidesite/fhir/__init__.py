"""HL7 FHIR resources published with the site, for hospitals' electronic records.

`published` is the publishing layer: where each resource is written, the index Bundle,
the links from pages, and validation with `fhir.resources` (its R4B models: FHIR 4.3.0,
the R4 line; the pinned release has no 4.0.1 models). `plan_definitions` makes one
PlanDefinition per clinician question page; `questionnaire` one Questionnaire per validated
instrument a calculator declares. Makers are pure functions of what the build read; the
plugin validates, links and writes what they return.
"""

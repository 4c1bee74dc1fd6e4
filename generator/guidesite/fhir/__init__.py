"""FHIR resources the site publishes: a Questionnaire for each validated instrument."""

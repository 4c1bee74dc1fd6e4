"""The calculator engine the browser runs: Pyodide's files, the calculators wheel and its
memory snapshot (`bundle.build_engine_assets`)."""

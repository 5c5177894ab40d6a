"""Machine outputs of a batch run: JUnit, SARIF, baselines, correction lists, TMX, cache.

Every writer here reads the JSON report *as data* (``aligner.report.json.report_dict``
or a report file loaded back), never a live Bitext, so a cached document and a freshly
checked one give byte-identical outputs.
"""

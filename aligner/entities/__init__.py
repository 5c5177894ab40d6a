"""Named entities across Arabic and English: normalisation, gazetteer, transliteration."""

"""The static site: every app as a page in Chinese and in English that works with no server.

The pages are made from the same views, charts and strings as the live apps
(:mod:`briefing.views`, :mod:`briefing.charts`, :mod:`briefing.reader`,
:mod:`briefing.tracker`): Python renders every piece of HTML and every Vega-Lite spec once,
at export, and embeds them; one small script (``static/site.js``) filters the rows of each
spec's data, sorts the table, shows the quote of a clicked mark, and keeps the reader's
place in the address; ``static/reader.js`` searches the embedded text of the report.

* :mod:`briefing.site.facts` the facts of the report as the pages need them (per language)
* :mod:`briefing.site.content` the body of each app's page
* :mod:`briefing.site.pages` the page around it: header, navigation, language toggle
* :mod:`briefing.site.assets` scripts, styles, Vega, and the data package
"""

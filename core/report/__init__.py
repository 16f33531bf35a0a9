"""The annual work summary (工作总结): template language, document model, builder and writers.

    template = Templates(ledger).get("年度总结")
    document = build(ledger, Period(2026, 11), template)
    save(document, Path("总结.docx"))

No Qt here: PDF and printing are writers registered by ui.report_pdf (see writers.register).
"""

"""发票 as documents: asking, issuing with the e-invoice file, reversing (``documents``); the stored files
(``files``); the annual 消费帮扶 certificate's figures (``certificate``)."""

"""Pictures, below the store: decoding (:mod:`.images`), text in pictures (:mod:`.ocr`, with
:mod:`.textcheck` to skip pictures without text) and perceptual hashes (:mod:`.hashing`).

In: image files. Out: pixels, OCR text, PDQ hashes. The pass over a workspace's photos is
:mod:`repostguard.pipeline.media`; hash banks are :mod:`repostguard.banks.hashes`.
"""

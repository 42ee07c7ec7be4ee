"""Encoders: text in, vectors out.

Enters: chunk texts and questions. Leaves: normalised embedding vectors behind LangChain's `Embeddings`.

embeddings (the chosen model, packaged MiniLM by default), onnx (MiniLM through onnxruntime), onnx_export
(conversion to ONNX and int8).
"""

/* Compiled against a header from tesserac --emit=header (-include). */
const TesseraModel *decode(void) {
  return &llama_7b_models[LLAMA_7B_MODEL_DECODE];
}

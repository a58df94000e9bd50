/* Model tables (symbol prefix "bad") that a loader must reject before
 * calling anything; -DVARIANT=N selects the defect. */

#include "tessera-c/Model.h"

static void entry(void **args) { (void)args; }

#define SIG "entry a\ninput x f32 2\noutput y f32 2\n"
#define SIG_SIZE ((int64_t)sizeof(SIG) - 1)

#if VARIANT == 1 /* signature_size is not strlen(signature) */
const TesseraModel bad_models[] = {{SIG, SIG_SIZE + 1, 1, 1, entry}};
#elif VARIANT == 2 /* num_inputs differs from the text */
const TesseraModel bad_models[] = {{SIG, SIG_SIZE, 2, 1, entry}};
#elif VARIANT == 3 /* num_outputs differs from the text */
const TesseraModel bad_models[] = {{SIG, SIG_SIZE, 1, 0, entry}};
#elif VARIANT == 4 /* no signature */
const TesseraModel bad_models[] = {{0, 0, 1, 1, entry}};
#elif VARIANT == 5 /* no entry point */
const TesseraModel bad_models[] = {{SIG, SIG_SIZE, 1, 1, 0}};
#elif VARIANT == 6 /* an unknown dtype in the second model */
#define SIG2 "entry b\ninput x f7 2\noutput y f32 2\n"
const TesseraModel bad_models[] = {{SIG, SIG_SIZE, 1, 1, entry},
                                   {SIG2, sizeof(SIG2) - 1, 1, 1, entry}};
#elif VARIANT == 7 /* two models with the same name */
const TesseraModel bad_models[] = {{SIG, SIG_SIZE, 1, 1, entry},
                                   {SIG, SIG_SIZE, 1, 1, entry}};
#elif VARIANT == 8 /* no models */
const TesseraModel bad_models[] = {{SIG, SIG_SIZE, 1, 1, entry}};
#define NUM_MODELS 0
#elif VARIANT == 9 /* a negative count */
const TesseraModel bad_models[] = {{SIG, SIG_SIZE, 1, 1, entry}};
#define NUM_MODELS -1
#endif

#ifndef NUM_MODELS
#define NUM_MODELS (int64_t)(sizeof(bad_models) / sizeof(bad_models[0]))
#endif
const int64_t bad_num_models = NUM_MODELS;

/*
 * cjson.h - cJSON, loaded the first time idc reads or writes JSON.
 *
 * Include this instead of <cjson/cJSON.h>.  It declares cJSON's types as
 * the library's own header does, and turns each function idc calls into a
 * call through a table that cjson.c fills with dlopen() and dlsym() on
 * first use, as net/http.c loads libcurl.  So a command that never touches
 * JSON (a cached `idc credential-process`, `idc --version`) starts without
 * mapping libcjson at all, and the call sites keep cJSON's own names.  The
 * table's types come from <cjson/cJSON.h> through __typeof__, so a
 * mismatch with the installed library's header is a compile error.
 *
 * A function missing from IDC_CJSON_FUNCTIONS is an undefined reference
 * at link time: add it there and to the defines below.
 *
 * The first use installs xmalloc's allocator into cJSON (a NULL from
 * malloc aborts with a message; see xmalloc.h).  When the library cannot
 * be loaded, idc says so on stderr in one line and exits with status 1
 * (IDC_EXIT_FAIL): the package depends on libcjson1, so that is a broken
 * installation, and no call site could go on without it.
 *
 * Thread-safe: the table is filled once (pthread_once).
 */
#ifndef IDC_CJSON_H
#define IDC_CJSON_H

#include <cjson/cJSON.h>

/* cJSON_<name> for every function idc calls. */
#define IDC_CJSON_FUNCTIONS(X)                                                 \
	X(AddArrayToObject)                                                    \
	X(AddBoolToObject)                                                     \
	X(AddItemToArray)                                                      \
	X(AddItemToObject)                                                     \
	X(AddNullToObject)                                                     \
	X(AddNumberToObject)                                                   \
	X(AddObjectToObject)                                                   \
	X(AddStringToObject)                                                   \
	X(CreateArray)                                                         \
	X(CreateBool)                                                          \
	X(CreateNull)                                                          \
	X(CreateNumber)                                                        \
	X(CreateObject)                                                        \
	X(CreateString)                                                        \
	X(Delete)                                                              \
	X(DeleteItemFromObjectCaseSensitive)                                   \
	X(DetachItemViaPointer)                                                \
	X(Duplicate)                                                           \
	X(GetArrayItem)                                                        \
	X(GetArraySize)                                                        \
	X(GetNumberValue)                                                      \
	X(GetObjectItemCaseSensitive)                                          \
	X(InitHooks)                                                           \
	X(IsArray)                                                             \
	X(IsFalse)                                                             \
	X(IsNull)                                                              \
	X(IsNumber)                                                            \
	X(IsObject)                                                            \
	X(IsString)                                                            \
	X(IsTrue)                                                              \
	X(Parse)                                                               \
	X(ParseWithLengthOpts)                                                 \
	X(PrintUnformatted)

struct idc_cjson_api {
/* name is a member's name here, which cannot take parentheses. */
/* NOLINTNEXTLINE(bugprone-macro-parentheses) */
#define IDC_CJSON_FIELD(name) __typeof__(cJSON_##name) *name;
	IDC_CJSON_FUNCTIONS(IDC_CJSON_FIELD)
#undef IDC_CJSON_FIELD
};

/* The loaded table (never NULL: exits when the library cannot be loaded). */
const struct idc_cjson_api *idc_cjson(void);

#define cJSON_AddArrayToObject  (idc_cjson()->AddArrayToObject)
#define cJSON_AddBoolToObject   (idc_cjson()->AddBoolToObject)
#define cJSON_AddItemToArray    (idc_cjson()->AddItemToArray)
#define cJSON_AddItemToObject   (idc_cjson()->AddItemToObject)
#define cJSON_AddNullToObject   (idc_cjson()->AddNullToObject)
#define cJSON_AddNumberToObject (idc_cjson()->AddNumberToObject)
#define cJSON_AddObjectToObject (idc_cjson()->AddObjectToObject)
#define cJSON_AddStringToObject (idc_cjson()->AddStringToObject)
#define cJSON_CreateArray       (idc_cjson()->CreateArray)
#define cJSON_CreateBool        (idc_cjson()->CreateBool)
#define cJSON_CreateNull        (idc_cjson()->CreateNull)
#define cJSON_CreateNumber      (idc_cjson()->CreateNumber)
#define cJSON_CreateObject      (idc_cjson()->CreateObject)
#define cJSON_CreateString      (idc_cjson()->CreateString)
#define cJSON_Delete            (idc_cjson()->Delete)
#define cJSON_DeleteItemFromObjectCaseSensitive                                \
	(idc_cjson()->DeleteItemFromObjectCaseSensitive)
#define cJSON_DetachItemViaPointer (idc_cjson()->DetachItemViaPointer)
#define cJSON_Duplicate            (idc_cjson()->Duplicate)
#define cJSON_GetArrayItem         (idc_cjson()->GetArrayItem)
#define cJSON_GetArraySize         (idc_cjson()->GetArraySize)
#define cJSON_GetNumberValue       (idc_cjson()->GetNumberValue)
#define cJSON_GetObjectItemCaseSensitive                                       \
	(idc_cjson()->GetObjectItemCaseSensitive)
#define cJSON_InitHooks           (idc_cjson()->InitHooks)
#define cJSON_IsArray             (idc_cjson()->IsArray)
#define cJSON_IsFalse             (idc_cjson()->IsFalse)
#define cJSON_IsNull              (idc_cjson()->IsNull)
#define cJSON_IsNumber            (idc_cjson()->IsNumber)
#define cJSON_IsObject            (idc_cjson()->IsObject)
#define cJSON_IsString            (idc_cjson()->IsString)
#define cJSON_IsTrue              (idc_cjson()->IsTrue)
#define cJSON_Parse               (idc_cjson()->Parse)
#define cJSON_ParseWithLengthOpts (idc_cjson()->ParseWithLengthOpts)
#define cJSON_PrintUnformatted    (idc_cjson()->PrintUnformatted)

#endif

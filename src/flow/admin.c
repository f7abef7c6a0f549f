/*
 * admin.c - the administration operations (see admin.h): users, groups,
 * memberships, permission sets, account assignments and onboarding, each a
 * few identitystore or sso-admin calls through adminapi.c.
 */
#include "idc/flow/admin.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "idc/core/cjson.h"

#include "idc/core/err.h"
#include "idc/core/intr.h"
#include "idc/core/log.h"
#include "idc/core/xmalloc.h"
#include "idc/flow/adminapi.h"
#include "idc/net/awsjson.h"

/* Assignment status polls: the first after 500 ms, growing to 5 s. */
#define ADMIN_POLL_FIRST_MS 500
#define ADMIN_POLL_MAX_GAP  5000

/* --- releasing --- */

void
admin_user_release(struct admin_user *u)
{
	if (u == NULL)
		return;
	free(u->id);
	free(u->user_name);
	free(u->display_name);
	free(u->given_name);
	free(u->family_name);
	free(u->email);
	memset(u, 0, sizeof *u);
}

static void
admin_group_release(struct admin_group *g)
{
	free(g->id);
	free(g->name);
	free(g->description);
	memset(g, 0, sizeof *g);
}

static void
admin_pset_release(struct admin_pset *p)
{
	free(p->arn);
	free(p->name);
	free(p->description);
	free(p->session_duration);
	memset(p, 0, sizeof *p);
}

void
admin_users_release(struct admin_users *u)
{
	size_t i;

	for (i = 0; i < u->n; i++)
		admin_user_release(&u->v[i]);
	free(u->v);
	memset(u, 0, sizeof *u);
}

void
admin_groups_release(struct admin_groups *g)
{
	size_t i;

	for (i = 0; i < g->n; i++)
		admin_group_release(&g->v[i]);
	free(g->v);
	memset(g, 0, sizeof *g);
}

void
admin_psets_release(struct admin_psets *p)
{
	size_t i;

	for (i = 0; i < p->n; i++)
		admin_pset_release(&p->v[i]);
	free(p->v);
	memset(p, 0, sizeof *p);
}

void
admin_assignments_release(struct admin_assignments *a)
{
	size_t i;

	for (i = 0; i < a->n; i++) {
		free(a->v[i].account_id);
		free(a->v[i].pset_arn);
		free(a->v[i].pset_name);
		free(a->v[i].principal_type);
		free(a->v[i].principal_id);
		free(a->v[i].principal_name);
	}
	free(a->v);
	memset(a, 0, sizeof *a);
}

/* --- the session --- */

int
admin_open(const struct admin_opts *o, struct admin **out, struct idc_err *err)
{
	return adminapi_open(o, out, err);
}

void
admin_close(struct admin *a)
{
	if (a == NULL)
		return;
	if (a->psets != NULL)
		admin_psets_release(a->psets);
	free(a->psets);
	adminapi_close(a);
}

const char *
admin_region(const struct admin *a)
{
	return a->region;
}

int
admin_instance(struct admin *a, const char **instance_arn,
    const char **identity_store_id, struct idc_err *err)
{
	return adminapi_instance(a, instance_arn, identity_store_id, err);
}

static int
admin_user_parse(const cJSON *item, const char *op, struct admin_user *out,
    struct idc_err *err)
{
	const cJSON *name = cJSON_GetObjectItemCaseSensitive(item, "Name");
	const cJSON *emails = cJSON_GetObjectItemCaseSensitive(item, "Emails");
	const cJSON *e, *pick = NULL;

	memset(out, 0, sizeof *out);
	if (adminapi_str(item, op, "UserId", 1, &out->id, err) == -1 ||
	    adminapi_str(item, op, "UserName", 1, &out->user_name, err) == -1 ||
	    adminapi_str(item, op, "DisplayName", 0, &out->display_name, err) ==
		-1)
		goto fail;
	if (name != NULL && !cJSON_IsNull(name)) {
		if (!cJSON_IsObject(name)) {
			idc_err_set(err, IDC_ESERVER,
			    "%s: 'Name' in the service's answer is not an "
			    "object",
			    op);
			goto fail;
		}
		if (adminapi_str(name, op, "GivenName", 0, &out->given_name,
			err) == -1 ||
		    adminapi_str(name, op, "FamilyName", 0, &out->family_name,
			err) == -1)
			goto fail;
	}
	if (emails != NULL && !cJSON_IsNull(emails)) {
		if (!cJSON_IsArray(emails)) {
			idc_err_set(err, IDC_ESERVER,
			    "%s: 'Emails' in the service's answer is not a "
			    "list",
			    op);
			goto fail;
		}
		cJSON_ArrayForEach(e, emails) {
			if (!cJSON_IsObject(e))
				continue;
			if (pick == NULL ||
			    cJSON_IsTrue(
				cJSON_GetObjectItemCaseSensitive(e, "Primary")))
				pick = e;
		}
		if (pick != NULL &&
		    adminapi_str(pick, op, "Value", 0, &out->email, err) == -1)
			goto fail;
	}
	return 0;
fail:
	admin_user_release(out);
	return -1;
}

/* A request body with IdentityStoreId (or InstanceArn) filled in. */
static cJSON *
admin_store_body(struct admin *a, struct idc_err *err)
{
	const char *store;
	cJSON *body;

	if (admin_instance(a, NULL, &store, err) == -1)
		return NULL;
	body = cJSON_CreateObject();
	cJSON_AddStringToObject(body, "IdentityStoreId", store);
	return body;
}

static cJSON *
admin_instance_body(struct admin *a, struct idc_err *err)
{
	const char *arn;
	cJSON *body;

	if (admin_instance(a, &arn, NULL, err) == -1)
		return NULL;
	body = cJSON_CreateObject();
	cJSON_AddStringToObject(body, "InstanceArn", arn);
	return body;
}

/* --- users --- */

struct admin_users_walk {
	struct admin_users *out;
	const char *filter;
};

static int
admin_contains(const char *hay, const char *needle)
{
	size_t n = strlen(needle);

	if (hay == NULL)
		return 0;
	for (; *hay != '\0'; hay++)
		if (strncasecmp(hay, needle, n) == 0)
			return 1;
	return n == 0;
}

static int
admin_users_item(const cJSON *item, void *ud, struct idc_err *err)
{
	struct admin_users_walk *w = ud;
	struct admin_user u;

	if (admin_user_parse(item, "ListUsers", &u, err) == -1)
		return -1;
	if (w->filter != NULL && !admin_contains(u.user_name, w->filter) &&
	    !admin_contains(u.display_name, w->filter) &&
	    !admin_contains(u.email, w->filter)) {
		admin_user_release(&u);
		return 0;
	}
	w->out->v = xgrowarray(
	    w->out->v, &w->out->cap, w->out->n + 1, sizeof *w->out->v);
	w->out->v[w->out->n++] = u;
	return 0;
}

static int
admin_user_cmp(const void *x, const void *y)
{
	const struct admin_user *a = x, *b = y;

	return strcasecmp(a->user_name, b->user_name);
}

int
admin_users_list(struct admin *a, const char *filter, struct admin_users *out,
    struct idc_err *err)
{
	struct admin_users_walk w = { out, filter };
	cJSON *body;
	int r;

	memset(out, 0, sizeof *out);
	if ((body = admin_store_body(a, err)) == NULL)
		return -1;
	cJSON_AddNumberToObject(body, "MaxResults", 100);
	r = adminapi_pages(a, &awsjson_identitystore, "ListUsers", body,
	    "Users", admin_users_item, &w, err);
	cJSON_Delete(body);
	if (r == -1) {
		admin_users_release(out);
		return -1;
	}
	if (out->n > 1)
		qsort(out->v, out->n, sizeof *out->v, admin_user_cmp);
	return 0;
}

static int
admin_describe_user(struct admin *a, const char *id, const char *object,
    struct admin_user *out, struct idc_err *err)
{
	cJSON *body, *answer = NULL;
	int r = -1;

	if ((body = admin_store_body(a, err)) == NULL)
		return -1;
	cJSON_AddStringToObject(body, "UserId", id);
	if (adminapi_call(a, &awsjson_identitystore, "DescribeUser", body,
		object, &answer, err) == -1 ||
	    admin_user_parse(answer, "DescribeUser", out, err) == -1)
		goto out;
	r = 0;
out:
	cJSON_Delete(body);
	cJSON_Delete(answer);
	return r;
}

static int
admin_describe_group(struct admin *a, const char *id, struct admin_group *out,
    struct idc_err *err)
{
	cJSON *body, *answer = NULL;
	int r = -1;

	memset(out, 0, sizeof *out);
	if ((body = admin_store_body(a, err)) == NULL)
		return -1;
	cJSON_AddStringToObject(body, "GroupId", id);
	if (adminapi_call(a, &awsjson_identitystore, "DescribeGroup", body,
		NULL, &answer, err) == -1 ||
	    adminapi_str(
		answer, "DescribeGroup", "GroupId", 1, &out->id, err) == -1 ||
	    adminapi_str(answer, "DescribeGroup", "DisplayName", 0, &out->name,
		err) == -1 ||
	    adminapi_str(answer, "DescribeGroup", "Description", 0,
		&out->description, err) == -1)
		goto out;
	r = 0;
out:
	if (r == -1)
		admin_group_release(out);
	cJSON_Delete(body);
	cJSON_Delete(answer);
	return r;
}

/* The group ids of a member, from ListGroupMembershipsForMember. */
struct admin_ids {
	char **v;
	size_t n, cap;
	const char *key; /* the member holding the id */
	const char *op;
};

static int
admin_ids_item(const cJSON *item, void *ud, struct idc_err *err)
{
	struct admin_ids *ids = ud;
	char *id = NULL;

	if (adminapi_str(item, ids->op, ids->key, 1, &id, err) == -1)
		return -1;
	ids->v = xgrowarray(ids->v, &ids->cap, ids->n + 1, sizeof *ids->v);
	ids->v[ids->n++] = id;
	return 0;
}

static void
admin_ids_release(struct admin_ids *ids)
{
	size_t i;

	for (i = 0; i < ids->n; i++)
		free(ids->v[i]);
	free(ids->v);
	ids->v = NULL;
	ids->n = ids->cap = 0;
}

static int
admin_group_cmp(const void *x, const void *y)
{
	const struct admin_group *a = x, *b = y;

	return strcasecmp(
	    a->name != NULL ? a->name : "", b->name != NULL ? b->name : "");
}

int
admin_user_show(struct admin *a, const char *user_name, struct admin_user *out,
    struct admin_groups *groups, struct idc_err *err)
{
	struct admin_ids ids = { NULL, 0, 0, "GroupId",
		"ListGroupMembershipsForMember" };
	char *id = NULL, *object = xasprintf("user '%s'", user_name);
	cJSON *body = NULL, *member;
	size_t i;
	int r = -1;

	memset(out, 0, sizeof *out);
	memset(groups, 0, sizeof *groups);
	if (adminapi_user_id(a, user_name, &id, err) == -1 ||
	    admin_describe_user(a, id, object, out, err) == -1)
		goto out;
	if ((body = admin_store_body(a, err)) == NULL)
		goto out;
	member = cJSON_AddObjectToObject(body, "MemberId");
	cJSON_AddStringToObject(member, "UserId", id);
	if (adminapi_pages(a, &awsjson_identitystore,
		"ListGroupMembershipsForMember", body, "GroupMemberships",
		admin_ids_item, &ids, err) == -1)
		goto out;
	for (i = 0; i < ids.n; i++) {
		groups->v = xgrowarray(
		    groups->v, &groups->cap, groups->n + 1, sizeof *groups->v);
		if (admin_describe_group(
			a, ids.v[i], &groups->v[groups->n], err) == -1)
			goto out;
		groups->n++;
	}
	if (groups->n > 1)
		qsort(groups->v, groups->n, sizeof *groups->v, admin_group_cmp);
	r = 0;
out:
	if (r == -1) {
		admin_user_release(out);
		admin_groups_release(groups);
	}
	admin_ids_release(&ids);
	cJSON_Delete(body);
	free(object);
	free(id);
	return r;
}

int
admin_user_add(struct admin *a, const struct admin_new_user *u, char **id,
    struct idc_err *err)
{
	cJSON *body, *answer = NULL;
	char *object = xasprintf("user '%s'", u->user_name);
	char *display = NULL;
	int r = -1;

	if ((body = admin_store_body(a, err)) == NULL)
		goto out;
	display = u->display_name != NULL
	    ? xstrdup(u->display_name)
	    : xasprintf("%s %s", u->given_name, u->family_name);
	cJSON_Delete(body);
	body = adminapi_user_body(a->store_id, u->user_name, display,
	    u->given_name, u->family_name, u->email);
	if (adminapi_call(a, &awsjson_identitystore, "CreateUser", body, object,
		&answer, err) == -1) {
		if (err != NULL && err->code == IDC_EFAIL &&
		    strstr(err->msg, ": conflict") != NULL)
			idc_err_set(err, IDC_EFAIL, "user '%s' already exists",
			    u->user_name);
		goto out;
	}
	if (id != NULL &&
	    adminapi_str(answer, "CreateUser", "UserId", 1, id, err) == -1)
		goto out;
	r = 0;
out:
	free(display);
	free(object);
	cJSON_Delete(body);
	cJSON_Delete(answer);
	return r;
}

/* Call op with one id member, naming object in errors. */
static int
admin_store_op(struct admin *a, const char *op, const char *key, const char *id,
    const char *object, struct idc_err *err)
{
	cJSON *body, *answer = NULL;
	int r;

	if ((body = admin_store_body(a, err)) == NULL)
		return -1;
	cJSON_AddStringToObject(body, key, id);
	r = adminapi_call(
	    a, &awsjson_identitystore, op, body, object, &answer, err);
	cJSON_Delete(body);
	cJSON_Delete(answer);
	return r;
}

int
admin_user_delete(struct admin *a, const char *user_name, struct idc_err *err)
{
	char *id = NULL, *object = xasprintf("user '%s'", user_name);
	int r = -1;

	if (adminapi_user_id(a, user_name, &id, err) == 0)
		r = admin_store_op(a, "DeleteUser", "UserId", id, object, err);
	free(object);
	free(id);
	return r;
}

/* --- groups --- */

static int
admin_groups_item(const cJSON *item, void *ud, struct idc_err *err)
{
	struct admin_groups *g = ud;
	struct admin_group one;

	memset(&one, 0, sizeof one);
	if (adminapi_str(item, "ListGroups", "GroupId", 1, &one.id, err) ==
		-1 ||
	    adminapi_str(
		item, "ListGroups", "DisplayName", 0, &one.name, err) == -1 ||
	    adminapi_str(item, "ListGroups", "Description", 0, &one.description,
		err) == -1) {
		admin_group_release(&one);
		return -1;
	}
	g->v = xgrowarray(g->v, &g->cap, g->n + 1, sizeof *g->v);
	g->v[g->n++] = one;
	return 0;
}

int
admin_groups_list(
    struct admin *a, struct admin_groups *out, struct idc_err *err)
{
	cJSON *body;
	int r;

	memset(out, 0, sizeof *out);
	if ((body = admin_store_body(a, err)) == NULL)
		return -1;
	cJSON_AddNumberToObject(body, "MaxResults", 100);
	r = adminapi_pages(a, &awsjson_identitystore, "ListGroups", body,
	    "Groups", admin_groups_item, out, err);
	cJSON_Delete(body);
	if (r == -1) {
		admin_groups_release(out);
		return -1;
	}
	if (out->n > 1)
		qsort(out->v, out->n, sizeof *out->v, admin_group_cmp);
	return 0;
}

int
admin_group_add(struct admin *a, const char *name, const char *description,
    char **id, struct idc_err *err)
{
	cJSON *body, *answer = NULL;
	char *object = xasprintf("group '%s'", name);
	int r = -1;

	if ((body = admin_store_body(a, err)) == NULL)
		goto out;
	cJSON_AddStringToObject(body, "DisplayName", name);
	if (description != NULL)
		cJSON_AddStringToObject(body, "Description", description);
	if (adminapi_call(a, &awsjson_identitystore, "CreateGroup", body,
		object, &answer, err) == -1) {
		if (err != NULL && err->code == IDC_EFAIL &&
		    strstr(err->msg, ": conflict") != NULL)
			idc_err_set(
			    err, IDC_EFAIL, "group '%s' already exists", name);
		goto out;
	}
	if (id != NULL &&
	    adminapi_str(answer, "CreateGroup", "GroupId", 1, id, err) == -1)
		goto out;
	r = 0;
out:
	free(object);
	cJSON_Delete(body);
	cJSON_Delete(answer);
	return r;
}

int
admin_group_delete(struct admin *a, const char *name, struct idc_err *err)
{
	char *id = NULL, *object = xasprintf("group '%s'", name);
	int r = -1;

	if (adminapi_group_id(a, name, &id, err) == 0)
		r = admin_store_op(
		    a, "DeleteGroup", "GroupId", id, object, err);
	free(object);
	free(id);
	return r;
}

/* The membership id of user_id in group_id, or NULL (*out) when none. */
struct admin_membership_walk {
	const char *user_id;
	char *found;
};

static int
admin_membership_item(const cJSON *item, void *ud, struct idc_err *err)
{
	struct admin_membership_walk *w = ud;
	const cJSON *member =
	    cJSON_GetObjectItemCaseSensitive(item, "MemberId");
	char *uid = NULL;

	if (w->found != NULL || !cJSON_IsObject(member))
		return 0;
	if (adminapi_str(
		member, "ListGroupMemberships", "UserId", 0, &uid, err) == -1)
		return -1;
	if (uid != NULL && strcmp(uid, w->user_id) == 0 &&
	    adminapi_str(item, "ListGroupMemberships", "MembershipId", 1,
		&w->found, err) == -1) {
		free(uid);
		return -1;
	}
	free(uid);
	return 0;
}

int
admin_group_member(struct admin *a, const char *group, const char *user_name,
    int add, struct idc_err *err)
{
	struct admin_membership_walk w = { NULL, NULL };
	char *gid = NULL, *uid = NULL, *object = NULL;
	cJSON *body = NULL, *member, *answer = NULL;
	int r = -1;

	object = xasprintf("user '%s' in group '%s'", user_name, group);
	if (adminapi_group_id(a, group, &gid, err) == -1 ||
	    adminapi_user_id(a, user_name, &uid, err) == -1 ||
	    (body = admin_store_body(a, err)) == NULL)
		goto out;
	cJSON_AddStringToObject(body, "GroupId", gid);
	if (add) {
		member = cJSON_AddObjectToObject(body, "MemberId");
		cJSON_AddStringToObject(member, "UserId", uid);
		if (adminapi_call(a, &awsjson_identitystore,
			"CreateGroupMembership", body, object, &answer,
			err) == -1) {
			if (err != NULL && err->code == IDC_EFAIL &&
			    strstr(err->msg, ": conflict") != NULL)
				idc_err_set(err, IDC_EFAIL,
				    "user '%s' is already a member of group "
				    "'%s'",
				    user_name, group);
			goto out;
		}
		r = 0;
		goto out;
	}
	/* No GetGroupMembershipId everywhere: find it in the listing. */
	w.user_id = uid;
	if (adminapi_pages(a, &awsjson_identitystore, "ListGroupMemberships",
		body, "GroupMemberships", admin_membership_item, &w, err) == -1)
		goto out;
	if (w.found == NULL) {
		idc_err_set(err, IDC_ENOTFOUND,
		    "user '%s' is not a member of group '%s'", user_name,
		    group);
		goto out;
	}
	r = admin_store_op(
	    a, "DeleteGroupMembership", "MembershipId", w.found, object, err);
out:
	free(w.found);
	free(object);
	free(gid);
	free(uid);
	cJSON_Delete(body);
	cJSON_Delete(answer);
	return r;
}

/* --- permission sets --- */

static int
admin_pset_arn_item(const cJSON *item, void *ud, struct idc_err *err)
{
	struct admin_ids *ids = ud;
	char *arn;

	(void)err;
	if (!cJSON_IsString(item) || strlen(item->valuestring) > 2048)
		return idc_err_set(err, IDC_ESERVER,
		    "ListPermissionSets: an item of 'PermissionSets' is not an "
		    "ARN");
	arn = xstrdup(item->valuestring);
	ids->v = xgrowarray(ids->v, &ids->cap, ids->n + 1, sizeof *ids->v);
	ids->v[ids->n++] = arn;
	return 0;
}

/* ListPermissionSets gives ARNs: strings, not objects. */
static int
admin_pset_arns(struct admin *a, struct admin_ids *ids, struct idc_err *err)
{
	cJSON *body;
	int r;

	if ((body = admin_instance_body(a, err)) == NULL)
		return -1;
	cJSON_AddNumberToObject(body, "MaxResults", 100);
	r = adminapi_pages_of(a, &awsjson_sso_admin, "ListPermissionSets", body,
	    "PermissionSets", 0, admin_pset_arn_item, ids, err);
	cJSON_Delete(body);
	return r;
}

/* SessionDuration: an ISO 8601 string; seconds as a number (as moto
 * answers) are taken and written the ISO way. */
static int
admin_duration(const cJSON *ps, const char *op, char **out, struct idc_err *err)
{
	const cJSON *v =
	    cJSON_GetObjectItemCaseSensitive(ps, "SessionDuration");
	double secs;

	if (!cJSON_IsNumber(v))
		return adminapi_str(ps, op, "SessionDuration", 0, out, err);
	secs = v->valuedouble;
	if (secs < 0 || secs > 7 * 86400 || secs != (double)(long)secs)
		return idc_err_set(err, IDC_ESERVER,
		    "%s: 'SessionDuration' in the service's answer is not a "
		    "duration",
		    op);
	if ((long)secs % 3600 == 0)
		*out = xasprintf("PT%ldH", (long)secs / 3600);
	else if ((long)secs % 60 == 0)
		*out = xasprintf("PT%ldM", (long)secs / 60);
	else
		*out = xasprintf("PT%ldS", (long)secs);
	return 0;
}

static int
admin_pset_describe(struct admin *a, const char *arn, struct admin_pset *out,
    struct idc_err *err)
{
	cJSON *body, *answer = NULL;
	const cJSON *ps;
	const char *op = "DescribePermissionSet";
	int r = -1;

	memset(out, 0, sizeof *out);
	if ((body = admin_instance_body(a, err)) == NULL)
		return -1;
	cJSON_AddStringToObject(body, "PermissionSetArn", arn);
	if (adminapi_call(
		a, &awsjson_sso_admin, op, body, NULL, &answer, err) == -1)
		goto out;
	ps = cJSON_GetObjectItemCaseSensitive(answer, "PermissionSet");
	if (!cJSON_IsObject(ps)) {
		idc_err_set(err, IDC_ESERVER,
		    "%s: the service's answer has no 'PermissionSet'", op);
		goto out;
	}
	if (adminapi_str(ps, op, "PermissionSetArn", 1, &out->arn, err) == -1 ||
	    adminapi_str(ps, op, "Name", 1, &out->name, err) == -1 ||
	    adminapi_str(ps, op, "Description", 0, &out->description, err) ==
		-1 ||
	    admin_duration(ps, op, &out->session_duration, err) == -1)
		goto out;
	r = 0;
out:
	if (r == -1)
		admin_pset_release(out);
	cJSON_Delete(body);
	cJSON_Delete(answer);
	return r;
}

static int
admin_pset_cmp(const void *x, const void *y)
{
	const struct admin_pset *a = x, *b = y;

	return strcasecmp(a->name, b->name);
}

/* Every permission set described, once per session (a->psets). */
static int
admin_psets_load(struct admin *a, struct idc_err *err)
{
	struct admin_ids arns = { NULL, 0, 0, NULL, NULL };
	struct admin_psets *p;
	size_t i;
	int r = -1;

	if (a->psets != NULL)
		return 0;
	p = xcalloc(1, sizeof *p);
	if (admin_pset_arns(a, &arns, err) == -1)
		goto out;
	for (i = 0; i < arns.n; i++) {
		p->v = xgrowarray(p->v, &p->cap, p->n + 1, sizeof *p->v);
		if (admin_pset_describe(a, arns.v[i], &p->v[p->n], err) == -1)
			goto out;
		p->n++;
	}
	if (p->n > 1)
		qsort(p->v, p->n, sizeof *p->v, admin_pset_cmp);
	a->psets = p;
	p = NULL;
	r = 0;
out:
	if (p != NULL) {
		admin_psets_release(p);
		free(p);
	}
	admin_ids_release(&arns);
	return r;
}

static void
admin_pset_copy(const struct admin_pset *from, struct admin_pset *to)
{
	to->arn = xstrdup(from->arn);
	to->name = xstrdup(from->name);
	to->description =
	    from->description != NULL ? xstrdup(from->description) : NULL;
	to->session_duration = from->session_duration != NULL
	    ? xstrdup(from->session_duration)
	    : NULL;
}

int
admin_psets_list(struct admin *a, struct admin_psets *out, struct idc_err *err)
{
	size_t i;

	memset(out, 0, sizeof *out);
	if (admin_psets_load(a, err) == -1)
		return -1;
	for (i = 0; i < a->psets->n; i++) {
		out->v =
		    xgrowarray(out->v, &out->cap, out->n + 1, sizeof *out->v);
		admin_pset_copy(&a->psets->v[i], &out->v[out->n++]);
	}
	return 0;
}

/* The ARN of the permission set called name (not to be freed). */
static int
admin_pset_arn(
    struct admin *a, const char *name, const char **arn, struct idc_err *err)
{
	size_t i;

	if (admin_psets_load(a, err) == -1)
		return -1;
	for (i = 0; i < a->psets->n; i++)
		if (strcmp(a->psets->v[i].name, name) == 0) {
			*arn = a->psets->v[i].arn;
			return 0;
		}
	return idc_err_set(
	    err, IDC_ENOTFOUND, "permission set '%s' not found", name);
}

static const char *
admin_pset_name(struct admin *a, const char *arn)
{
	size_t i;

	for (i = 0; i < a->psets->n; i++)
		if (strcmp(a->psets->v[i].arn, arn) == 0)
			return a->psets->v[i].name;
	return NULL;
}

int
admin_pset_create(struct admin *a, const struct admin_new_pset *p, char **arn,
    struct idc_err *err)
{
	cJSON *body = NULL, *answer = NULL;
	const cJSON *ps;
	char *object = xasprintf("permission set '%s'", p->name),
	     *new_arn = NULL;
	struct idc_err e = IDC_ERR_INIT;
	const char *existing;
	size_t i;
	int r = -1;

	/* Names are unique in the service; not every stand-in checks. */
	if (admin_pset_arn(a, p->name, &existing, &e) == 0) {
		idc_err_set(err, IDC_EFAIL,
		    "permission set '%s' already exists", p->name);
		goto out;
	}
	if (e.code != IDC_ENOTFOUND) {
		*err = e;
		goto out;
	}
	if ((body = admin_instance_body(a, err)) == NULL)
		goto out;
	cJSON_AddStringToObject(body, "Name", p->name);
	if (p->description != NULL)
		cJSON_AddStringToObject(body, "Description", p->description);
	if (p->session_duration != NULL)
		cJSON_AddStringToObject(
		    body, "SessionDuration", p->session_duration);
	if (adminapi_call(a, &awsjson_sso_admin, "CreatePermissionSet", body,
		object, &answer, err) == -1) {
		if (err != NULL && err->code == IDC_EFAIL &&
		    strstr(err->msg, ": conflict") != NULL)
			idc_err_set(err, IDC_EFAIL,
			    "permission set '%s' already exists", p->name);
		goto out;
	}
	ps = cJSON_GetObjectItemCaseSensitive(answer, "PermissionSet");
	if (!cJSON_IsObject(ps) ||
	    adminapi_str(ps, "CreatePermissionSet", "PermissionSetArn", 1,
		&new_arn, err) == -1) {
		if (!cJSON_IsObject(ps))
			idc_err_set(err, IDC_ESERVER,
			    "CreatePermissionSet: the service's answer has no "
			    "'PermissionSet'");
		goto out;
	}
	if (a->psets != NULL) {
		admin_psets_release(a->psets);
		free(a->psets);
		a->psets = NULL;
	}
	for (i = 0; i < p->nmanaged; i++) {
		cJSON_Delete(body);
		cJSON_Delete(answer);
		answer = NULL;
		free(object);
		object = xasprintf("managed policy '%s' of permission set '%s'",
		    p->managed[i], p->name);
		if ((body = admin_instance_body(a, err)) == NULL)
			goto out;
		cJSON_AddStringToObject(body, "PermissionSetArn", new_arn);
		cJSON_AddStringToObject(
		    body, "ManagedPolicyArn", p->managed[i]);
		if (adminapi_call(a, &awsjson_sso_admin,
			"AttachManagedPolicyToPermissionSet", body, object,
			&answer, err) == -1)
			goto out;
	}
	if (arn != NULL) {
		*arn = new_arn;
		new_arn = NULL;
	}
	r = 0;
out:
	free(new_arn);
	free(object);
	cJSON_Delete(body);
	cJSON_Delete(answer);
	return r;
}

/* --- assignments --- */

struct admin_pending {
	size_t index;       /* into results */
	char *request_id;   /* the creation or deletion request */
	long long next_ms;  /* when to poll next */
	long gap_ms;        /* the wait before the next poll */
	long long start_ms; /* when it was asked for */
};

/* Read an AccountAssignment{Creation,Deletion}Status. */
static int
admin_status_parse(const cJSON *answer, const char *op, const char *key,
    char **status, char **request_id, char **failure, struct idc_err *err)
{
	const cJSON *st = cJSON_GetObjectItemCaseSensitive(answer, key);

	if (!cJSON_IsObject(st))
		return idc_err_set(err, IDC_ESERVER,
		    "%s: the service's answer has no '%s'", op, key);
	if (adminapi_str(st, op, "Status", 1, status, err) == -1)
		return -1;
	if (request_id != NULL &&
	    adminapi_str(st, op, "RequestId", 1, request_id, err) == -1) {
		free(*status);
		*status = NULL;
		return -1;
	}
	if (adminapi_str(st, op, "FailureReason", 0, failure, err) == -1) {
		free(*status);
		*status = NULL;
		if (request_id != NULL) {
			free(*request_id);
			*request_id = NULL;
		}
		return -1;
	}
	return 0;
}

/* Start one account's assignment: the request id, or a result. */
static int
admin_assign_start(struct admin *a, const struct admin_assign_req *r,
    const char *pset_arn, const char *ptype, const char *pid, size_t i,
    struct admin_assign_result *res, char **request_id, struct idc_err *err)
{
	const char *op =
	    r->remove ? "DeleteAccountAssignment" : "CreateAccountAssignment";
	const char *key = r->remove ? "AccountAssignmentDeletionStatus"
				    : "AccountAssignmentCreationStatus";
	char *object, *status = NULL, *failure = NULL;
	cJSON *body, *answer = NULL;
	int rc = -1;

	object = xasprintf("the assignment of permission set '%s' to %s '%s' "
			   "in account '%s'",
	    r->pset_name, r->user_name != NULL ? "user" : "group",
	    r->user_name != NULL ? r->user_name : r->group, r->accounts[i]);
	if ((body = admin_instance_body(a, err)) == NULL)
		goto out;
	cJSON_AddStringToObject(body, "TargetId", r->accounts[i]);
	cJSON_AddStringToObject(body, "TargetType", "AWS_ACCOUNT");
	cJSON_AddStringToObject(body, "PermissionSetArn", pset_arn);
	cJSON_AddStringToObject(body, "PrincipalType", ptype);
	cJSON_AddStringToObject(body, "PrincipalId", pid);
	if (adminapi_call(
		a, &awsjson_sso_admin, op, body, object, &answer, err) == -1 ||
	    admin_status_parse(
		answer, op, key, &status, request_id, &failure, err) == -1)
		goto out;
	/* admin_status_parse sets status whenever it returns 0. */
	/* NOLINTNEXTLINE(clang-analyzer-core.NonNullParamChecker) */
	if (strcmp(status, "IN_PROGRESS") != 0) {
		res->status = status;
		res->failure = failure;
		status = failure = NULL;
		free(*request_id);
		*request_id = NULL;
	}
	rc = 0;
out:
	free(status);
	free(failure);
	free(object);
	cJSON_Delete(body);
	cJSON_Delete(answer);
	return rc;
}

/* Poll one pending request; 1 when it has finished (res filled). */
static int
admin_assign_poll(struct admin *a, int remove, struct admin_pending *p,
    struct admin_assign_result *res, struct idc_err *err)
{
	const char *op = remove ? "DescribeAccountAssignmentDeletionStatus"
				: "DescribeAccountAssignmentCreationStatus";
	const char *key = remove ? "AccountAssignmentDeletionStatus"
				 : "AccountAssignmentCreationStatus";
	char *status = NULL, *failure = NULL;
	cJSON *body, *answer = NULL;
	int r = -1;

	if ((body = admin_instance_body(a, err)) == NULL)
		return -1;
	cJSON_AddStringToObject(body,
	    remove ? "AccountAssignmentDeletionRequestId"
		   : "AccountAssignmentCreationRequestId",
	    p->request_id);
	if (adminapi_call(
		a, &awsjson_sso_admin, op, body, NULL, &answer, err) == -1 ||
	    admin_status_parse(answer, op, key, &status, NULL, &failure, err) ==
		-1)
		goto out;
	/* As above: status is set. */
	/* NOLINTNEXTLINE(clang-analyzer-core.NonNullParamChecker) */
	if (strcmp(status, "IN_PROGRESS") == 0) {
		r = 0;
		goto out;
	}
	res->status = status;
	res->failure = failure;
	status = failure = NULL;
	r = 1;
out:
	free(status);
	free(failure);
	cJSON_Delete(body);
	cJSON_Delete(answer);
	return r;
}

void
admin_assign_results_release(struct admin_assign_result *r, size_t n)
{
	size_t i;

	for (i = 0; r != NULL && i < n; i++) {
		free(r[i].account_id);
		free(r[i].status);
		free(r[i].failure);
		memset(&r[i], 0, sizeof r[i]);
	}
}

static void
admin_fail_result(struct admin_assign_result *res, const struct idc_err *e)
{
	free(res->failure);
	res->failure = xstrdup(e->msg);
}

int
admin_assign(struct admin *a, const struct admin_assign_req *r,
    struct admin_assign_result *results, struct idc_err *err)
{
	struct admin_pending pend[ADMIN_ASSIGN_IN_FLIGHT];
	struct idc_err e = IDC_ERR_INIT, first = IDC_ERR_INIT;
	const char *pset_arn = NULL, *ptype;
	char *pid = NULL, *rid;
	size_t next = 0, npend = 0, i, failed = 0;
	long long now, wake;
	int polled, rc = -1;

	for (i = 0; i < r->naccounts; i++) {
		memset(&results[i], 0, sizeof results[i]);
		results[i].account_id = xstrdup(r->accounts[i]);
	}
	if (admin_pset_arn(a, r->pset_name, &pset_arn, err) == -1)
		return -1;
	if (r->user_name != NULL) {
		ptype = "USER";
		if (adminapi_user_id(a, r->user_name, &pid, err) == -1)
			return -1;
	} else {
		ptype = "GROUP";
		if (adminapi_group_id(a, r->group, &pid, err) == -1)
			return -1;
	}
	/* Start while fewer than the limit are pending; poll the due. */
	while (next < r->naccounts || npend > 0) {
		while (next < r->naccounts && npend < ADMIN_ASSIGN_IN_FLIGHT) {
			rid = NULL;
			idc_err_clear(&e);
			if (admin_assign_start(a, r, pset_arn, ptype, pid, next,
				&results[next], &rid, &e) == -1) {
				if (e.code == IDC_EINTR ||
				    e.code == IDC_EAUTH ||
				    e.code == IDC_EDENIED) {
					*err = e;
					goto out;
				}
				admin_fail_result(&results[next], &e);
			} else if (rid != NULL) {
				now = intr_now_ms();
				pend[npend].index = next;
				pend[npend].request_id = rid;
				pend[npend].gap_ms = ADMIN_POLL_FIRST_MS;
				pend[npend].next_ms = now + ADMIN_POLL_FIRST_MS;
				pend[npend].start_ms = now;
				npend++;
			}
			next++;
		}
		if (npend == 0)
			break;
		now = intr_now_ms();
		wake = pend[0].next_ms;
		for (i = 1; i < npend; i++)
			if (pend[i].next_ms < wake)
				wake = pend[i].next_ms;
		if (wake > now && intr_sleep_ms((long)(wake - now)) == -1) {
			idc_err_set(err, IDC_EINTR, "interrupted");
			goto out;
		}
		now = intr_now_ms();
		for (i = 0; i < npend;) {
			struct admin_pending *p = &pend[i];
			struct admin_assign_result *res = &results[p->index];

			if (p->next_ms > now) {
				i++;
				continue;
			}
			idc_err_clear(&e);
			polled = admin_assign_poll(a, r->remove, p, res, &e);
			if (polled == 0 &&
			    now - p->start_ms >= ADMIN_POLL_MAX_MS) {
				idc_err_set(&e, IDC_ESERVER,
				    "still in progress after %d s",
				    ADMIN_POLL_MAX_MS / 1000);
				polled = -1;
			}
			if (polled == 0) {
				p->gap_ms = p->gap_ms * 2 > ADMIN_POLL_MAX_GAP
				    ? ADMIN_POLL_MAX_GAP
				    : p->gap_ms * 2;
				p->next_ms = now + p->gap_ms;
				i++;
				continue;
			}
			if (polled == -1) {
				if (e.code == IDC_EINTR) {
					*err = e;
					goto out;
				}
				admin_fail_result(res, &e);
			}
			free(p->request_id);
			pend[i] = pend[--npend];
		}
	}
	for (i = 0; i < r->naccounts; i++) {
		if (results[i].status != NULL &&
		    strcmp(results[i].status, "SUCCEEDED") == 0)
			continue;
		if (failed++ == 0)
			idc_err_set(&first, IDC_EFAIL,
			    "the assignment in account '%s' failed: %s",
			    results[i].account_id,
			    results[i].failure != NULL ? results[i].failure
						       : "no reason given");
	}
	if (failed == 1) {
		*err = first;
		goto out;
	}
	if (failed > 1) {
		idc_err_set(err, IDC_EFAIL,
		    "%zu of %zu assignments failed (the others are made)",
		    failed, r->naccounts);
		goto out;
	}
	rc = 0;
out:
	for (i = 0; i < npend; i++)
		free(pend[i].request_id);
	free(pid);
	return rc;
}

/* The assignments of one principal, from ListAccountAssignmentsForPrincipal. */
struct admin_assign_walk {
	struct admin_assignments *out;
	const char *op;
};

static int
admin_assign_item(const cJSON *item, void *ud, struct idc_err *err)
{
	struct admin_assign_walk *w = ud;
	struct admin_assignments *o = w->out;
	struct admin_assignment *x;

	o->v = xgrowarray(o->v, &o->cap, o->n + 1, sizeof *o->v);
	x = &o->v[o->n];
	memset(x, 0, sizeof *x);
	if (adminapi_str(item, w->op, "AccountId", 1, &x->account_id, err) ==
		-1 ||
	    adminapi_str(
		item, w->op, "PermissionSetArn", 1, &x->pset_arn, err) == -1 ||
	    adminapi_str(item, w->op, "PrincipalType", 1, &x->principal_type,
		err) == -1 ||
	    adminapi_str(
		item, w->op, "PrincipalId", 1, &x->principal_id, err) == -1) {
		o->n++;
		return -1;
	}
	o->n++;
	return 0;
}

static int
admin_assign_cmp(const void *x, const void *y)
{
	const struct admin_assignment *a = x, *b = y;
	int c = strcmp(a->account_id, b->account_id);

	if (c == 0)
		c = strcasecmp(a->pset_name != NULL ? a->pset_name : "",
		    b->pset_name != NULL ? b->pset_name : "");
	if (c == 0)
		c = strcasecmp(
		    a->principal_name != NULL ? a->principal_name : "",
		    b->principal_name != NULL ? b->principal_name : "");
	return c;
}

static int
admin_for_principal(struct admin *a, const char *account_id, const char *ptype,
    const char *pid, struct admin_assignments *out, struct idc_err *err)
{
	struct admin_assign_walk w = { out,
		"ListAccountAssignmentsForPrincipal" };
	cJSON *body, *filter;
	int r;

	if ((body = admin_instance_body(a, err)) == NULL)
		return -1;
	cJSON_AddStringToObject(body, "PrincipalId", pid);
	cJSON_AddStringToObject(body, "PrincipalType", ptype);
	if (account_id != NULL) {
		filter = cJSON_AddObjectToObject(body, "Filter");
		cJSON_AddStringToObject(filter, "AccountId", account_id);
	}
	r = adminapi_pages(a, &awsjson_sso_admin, w.op, body,
	    "AccountAssignments", admin_assign_item, &w, err);
	cJSON_Delete(body);
	return r;
}

/* Fill in names: permission sets from the session's list, principals by
 * DescribeUser/DescribeGroup (each once). */
static int
admin_assign_names(
    struct admin *a, struct admin_assignments *out, struct idc_err *err)
{
	struct admin_user u;
	struct admin_group g;
	const char *name;
	size_t i, j;

	if (admin_psets_load(a, err) == -1)
		return -1;
	for (i = 0; i < out->n; i++) {
		struct admin_assignment *x = &out->v[i];

		name = admin_pset_name(a, x->pset_arn);
		x->pset_name = name != NULL ? xstrdup(name) : NULL;
		for (j = 0; j < i; j++)
			if (strcmp(out->v[j].principal_id, x->principal_id) ==
				0 &&
			    out->v[j].principal_name != NULL) {
				x->principal_name =
				    xstrdup(out->v[j].principal_name);
				break;
			}
		if (x->principal_name != NULL)
			continue;
		if (strcmp(x->principal_type, "USER") == 0) {
			if (admin_describe_user(
				a, x->principal_id, NULL, &u, err) == -1)
				return -1;
			x->principal_name = u.user_name;
			u.user_name = NULL;
			admin_user_release(&u);
		} else {
			if (admin_describe_group(a, x->principal_id, &g, err) ==
			    -1)
				return -1;
			x->principal_name = g.name;
			g.name = NULL;
			admin_group_release(&g);
		}
	}
	if (out->n > 1)
		qsort(out->v, out->n, sizeof *out->v, admin_assign_cmp);
	return 0;
}

int
admin_assignments_list(struct admin *a, const char *account_id,
    const char *user_name, const char *group, struct admin_assignments *out,
    struct idc_err *err)
{
	struct admin_assign_walk w = { out, "ListAccountAssignments" };
	struct admin_users users;
	struct admin_groups groups;
	cJSON *body = NULL;
	char *pid = NULL;
	size_t i;
	int r = -1;

	memset(out, 0, sizeof *out);
	memset(&users, 0, sizeof users);
	memset(&groups, 0, sizeof groups);
	if (user_name != NULL || group != NULL) {
		if ((user_name != NULL
			    ? adminapi_user_id(a, user_name, &pid, err)
			    : adminapi_group_id(a, group, &pid, err)) == -1 ||
		    admin_for_principal(a, account_id,
			user_name != NULL ? "USER" : "GROUP", pid, out,
			err) == -1)
			goto out;
	} else if (account_id != NULL) {
		/* Every permission set's assignments in the account. */
		if (admin_psets_load(a, err) == -1)
			goto out;
		for (i = 0; i < a->psets->n; i++) {
			cJSON_Delete(body);
			if ((body = admin_instance_body(a, err)) == NULL)
				goto out;
			cJSON_AddStringToObject(body, "AccountId", account_id);
			cJSON_AddStringToObject(
			    body, "PermissionSetArn", a->psets->v[i].arn);
			if (adminapi_pages(a, &awsjson_sso_admin,
				"ListAccountAssignments", body,
				"AccountAssignments", admin_assign_item, &w,
				err) == -1)
				goto out;
		}
	} else {
		/* Every user's and every group's. */
		if (admin_users_list(a, NULL, &users, err) == -1 ||
		    admin_groups_list(a, &groups, err) == -1)
			goto out;
		for (i = 0; i < users.n; i++)
			if (admin_for_principal(
				a, NULL, "USER", users.v[i].id, out, err) == -1)
				goto out;
		for (i = 0; i < groups.n; i++)
			if (admin_for_principal(a, NULL, "GROUP",
				groups.v[i].id, out, err) == -1)
				goto out;
	}
	if (admin_assign_names(a, out, err) == -1)
		goto out;
	r = 0;
out:
	if (r == -1)
		admin_assignments_release(out);
	admin_users_release(&users);
	admin_groups_release(&groups);
	cJSON_Delete(body);
	free(pid);
	return r;
}

/* --- onboarding --- */

void
admin_onboard_result_release(struct admin_onboard_result *r)
{
	size_t i;

	if (r == NULL)
		return;
	free(r->user_id);
	for (i = 0; i < r->ngroups_added; i++)
		free(r->groups_added[i]);
	free(r->groups_added);
	admin_assign_results_release(&r->assignment, 1);
	free(r->portal_url);
	memset(r, 0, sizeof *r);
}

int
admin_onboard_run(struct admin *a, const struct admin_onboard *o,
    struct admin_onboard_result *res, struct idc_err *err)
{
	struct idc_err e = IDC_ERR_INIT;
	struct admin_user existing;
	struct admin_groups had;
	struct admin_assign_req req;
	const char *store;
	size_t i, j;
	int r = -1;

	memset(res, 0, sizeof *res);
	memset(&existing, 0, sizeof existing);
	memset(&had, 0, sizeof had);
	if (admin_instance(a, NULL, &store, err) == -1)
		return -1;
	res->portal_url = o->portal_url != NULL
	    ? xstrdup(o->portal_url)
	    : xasprintf("https://%s.awsapps.com/start", store);
	if (admin_user_add(a, &o->user, &res->user_id, &e) == 0) {
		res->created = 1;
	} else if (e.code == IDC_EFAIL &&
	    strstr(e.msg, "already exists") != NULL) {
		/* The same person again is fine; someone else is not. */
		if (admin_user_show(
			a, o->user.user_name, &existing, &had, err) == -1)
			goto fail;
		res->user_id = xstrdup(existing.id);
		if (existing.email == NULL ||
		    strcasecmp(existing.email, o->user.email) != 0) {
			idc_err_set(err, IDC_EFAIL,
			    "user '%s' already exists with another e-mail "
			    "address ('%s')",
			    o->user.user_name,
			    existing.email != NULL ? existing.email : "none");
			goto fail;
		}
	} else {
		*err = e;
		goto fail;
	}
	for (i = 0; i < o->ngroups; i++) {
		for (j = 0; j < had.n; j++)
			if (had.v[j].name != NULL &&
			    strcmp(had.v[j].name, o->groups[i]) == 0)
				break;
		if (j < had.n)
			continue;
		idc_err_clear(&e);
		if (admin_group_member(
			a, o->groups[i], o->user.user_name, 1, &e) == -1) {
			if (e.code == IDC_EFAIL &&
			    strstr(e.msg, "already a member") != NULL)
				continue;
			*err = e;
			goto fail;
		}
		res->groups_added =
		    xgrowarray(res->groups_added, &res->capgroups_added,
			res->ngroups_added + 1, sizeof *res->groups_added);
		res->groups_added[res->ngroups_added++] = xstrdup(o->groups[i]);
	}
	if (o->account_id != NULL) {
		memset(&req, 0, sizeof req);
		req.accounts = &o->account_id;
		req.naccounts = 1;
		req.pset_name = o->pset_name;
		req.user_name = o->user.user_name;
		if (admin_assign(a, &req, &res->assignment, err) == -1)
			goto fail;
	}
	r = 0;
fail:
	admin_user_release(&existing);
	admin_groups_release(&had);
	return r;
}

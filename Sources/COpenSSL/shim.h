#ifndef C_OPENSSL_SHIM_H
#define C_OPENSSL_SHIM_H
#include <openssl/ssl.h>
#include <openssl/err.h>
#include <openssl/bio.h>
#include <openssl/sha.h>
#include <openssl/rand.h>
#include <openssl/evp.h>
#include <openssl/x509.h>
#include <openssl/pem.h>
#include <openssl/x509v3.h>

/// OpenSSL's ctrl macros, as functions Swift can call.
static inline long copenssl_SSL_CTX_set_mode(SSL_CTX *ctx, long mode) { return SSL_CTX_set_mode(ctx, mode); }
static inline long copenssl_SSL_CTX_set_min_proto_version(SSL_CTX *ctx, int v) { return SSL_CTX_set_min_proto_version(ctx, v); }
static inline long copenssl_SSL_CTX_set_max_proto_version(SSL_CTX *ctx, int v) { return SSL_CTX_set_max_proto_version(ctx, v); }
static inline long copenssl_SSL_CTX_set_options(SSL_CTX *ctx, long o) { return SSL_CTX_set_options(ctx, o); }
static inline size_t copenssl_BIO_ctrl_pending(BIO *b) { return BIO_ctrl_pending(b); }
static inline int copenssl_TLS1_2_VERSION(void) { return TLS1_2_VERSION; }
static inline int copenssl_TLS1_3_VERSION(void) { return TLS1_3_VERSION; }

/// TLS engine shims (Sources/TLS): option bits and ctrl macros Swift cannot import.
static inline long copenssl_SSL_CTX_set_session_cache_mode(SSL_CTX *ctx, long m) { return SSL_CTX_set_session_cache_mode(ctx, m); }
static inline long copenssl_SSL_set_tlsext_host_name(SSL *ssl, const char *name) { return SSL_set_tlsext_host_name(ssl, name); }
static inline long copenssl_BIO_set_mem_eof_return(BIO *b, int v) { return BIO_set_mem_eof_return(b, v); }
static inline long copenssl_SSL_MODE_RELEASE_BUFFERS(void) { return SSL_MODE_RELEASE_BUFFERS; }
static inline long copenssl_SSL_SESS_CACHE_SERVER(void) { return SSL_SESS_CACHE_SERVER; }
static inline unsigned long copenssl_SSL_server_options(void) {
    return SSL_OP_NO_COMPRESSION | SSL_OP_NO_RENEGOTIATION;
}
static inline int copenssl_TLS1_1_VERSION(void) { return TLS1_1_VERSION; }
static inline unsigned long copenssl_XN_FLAG_RFC2253(void) { return XN_FLAG_RFC2253; }
static inline unsigned int copenssl_X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS(void) { return X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS; }
static inline long copenssl_X509_V_OK(void) { return X509_V_OK; }
#endif

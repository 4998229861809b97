// URL parsing and proxy selection rules of the HTTP client, without sockets.
#include "http/client_detail.hpp"

#include <gtest/gtest.h>

#include "client_test_support.hpp"

namespace litellm::http::detail {
namespace {

Target must_parse(std::string_view url) {
  auto t = parse_target(url);
  EXPECT_TRUE(t.ok()) << url;
  return t.ok() ? *t : Target{};
}

TEST(ClientUrl, UsesTheSchemeDefaultPorts) {
  const Target https = must_parse("https://api.mistral.ai/v1/chat/completions");
  EXPECT_TRUE(https.tls);
  EXPECT_EQ(https.host, "api.mistral.ai");
  EXPECT_EQ(https.port, 443);
  EXPECT_EQ(https.target, "/v1/chat/completions");
  EXPECT_EQ(https.host_header(), "api.mistral.ai");
  EXPECT_EQ(https.authority(), "api.mistral.ai:443");
  const Target http = must_parse("http://example.com");
  EXPECT_FALSE(http.tls);
  EXPECT_EQ(http.port, 80);
  EXPECT_EQ(http.target, "/");
}

TEST(ClientUrl, KeepsAnExplicitPortInTheHostHeader) {
  const Target t = must_parse("http://127.0.0.1:4000/v1/models?limit=2#frag");
  EXPECT_TRUE(t.host_is_ip);
  EXPECT_EQ(t.port, 4000);
  EXPECT_EQ(t.target, "/v1/models?limit=2");  // the fragment never goes on the wire
  EXPECT_EQ(t.host_header(), "127.0.0.1:4000");
}

TEST(ClientUrl, BracketsIpv6HostsOnlyWhereHttpNeedsThem) {
  const Target t = must_parse("https://[::1]:8443/x");
  EXPECT_TRUE(t.ipv6);
  EXPECT_TRUE(t.host_is_ip);
  EXPECT_EQ(t.host, "::1");  // what the resolver and the certificate check take
  EXPECT_EQ(t.authority(), "[::1]:8443");
  EXPECT_EQ(t.host_header(), "[::1]:8443");
  EXPECT_EQ(must_parse("http://[2001:db8::1]/").host_header(), "[2001:db8::1]");
}

TEST(ClientUrl, LowercasesHostNamesAndSchemes) {
  const Target t = must_parse("HTTPS://API.Mistral.AI/v1");
  EXPECT_TRUE(t.tls);
  EXPECT_EQ(t.host, "api.mistral.ai");
}

TEST(ClientUrl, AddsTheSlashToAQueryWithoutPath) {
  EXPECT_EQ(must_parse("http://h?x=1").target, "/?x=1");
}

TEST(ClientUrl, CapturesUserinfoForProxies) {
  EXPECT_EQ(must_parse("http://us%40er:p%3Aw@proxy:3128").userinfo, "us@er:p:w");
}

TEST(ClientUrl, RejectsWhatIsNotAnAbsoluteHttpUrlWithoutEchoingIt) {
  for (const char* url : {"", "api.mistral.ai/v1", "ws://h/", "https://h:0/", "https://h:65536/",
                          "https://:443/", "https://user:sk-secret@[v1.x]/"}) {
    auto t = parse_target(url);
    ASSERT_FALSE(t.ok()) << url;
    EXPECT_EQ(t.error().kind, ErrorKind::bad_request);
    EXPECT_EQ(t.error().message.find("sk-secret"), std::string::npos);
  }
}

TEST(ClientProxyRules, MatchesNoProxyDomainsAndTheirSubdomainsOnly) {
  const Target t = must_parse("https://api.example.com/");
  EXPECT_TRUE(no_proxy_matches("example.com", t));
  EXPECT_TRUE(no_proxy_matches(".example.com", t));
  EXPECT_TRUE(no_proxy_matches("*.example.com", t));
  EXPECT_TRUE(no_proxy_matches("api.example.com", t));
  EXPECT_TRUE(no_proxy_matches("other.org, EXAMPLE.COM", t));
  EXPECT_TRUE(no_proxy_matches("other.org example.com", t));
  EXPECT_FALSE(no_proxy_matches("ample.com", t));
  EXPECT_FALSE(no_proxy_matches("xapi.example.com", t));
  EXPECT_FALSE(no_proxy_matches("", t));
  EXPECT_FALSE(no_proxy_matches(" , ,", t));
  EXPECT_TRUE(no_proxy_matches("*", t));
}

TEST(ClientProxyRules, MatchesNoProxyPortsWhenGiven) {
  const Target t = must_parse("http://internal.corp:8080/");
  EXPECT_TRUE(no_proxy_matches("internal.corp:8080", t));
  EXPECT_FALSE(no_proxy_matches("internal.corp:9090", t));
}

TEST(ClientProxyRules, MatchesIpAddressesAndCidrBlocks) {
  const Target v4 = must_parse("http://10.1.2.3/");
  EXPECT_TRUE(no_proxy_matches("10.1.2.3", v4));
  EXPECT_TRUE(no_proxy_matches("10.0.0.0/8", v4));
  EXPECT_TRUE(no_proxy_matches("10.1.2.0/24", v4));
  EXPECT_FALSE(no_proxy_matches("10.1.3.0/24", v4));
  EXPECT_FALSE(no_proxy_matches("10.0.0.0/40", v4));
  const Target v6 = must_parse("http://[2001:db8::5]:81/");
  EXPECT_TRUE(no_proxy_matches("2001:db8::/32", v6));
  EXPECT_TRUE(no_proxy_matches("[2001:db8::5]", v6));
  EXPECT_TRUE(no_proxy_matches("[2001:db8::5]:81", v6));
  EXPECT_TRUE(no_proxy_matches("2001:db8:0::5", v6));
  EXPECT_FALSE(no_proxy_matches("[2001:db8::5]:82", v6));
  EXPECT_FALSE(no_proxy_matches("10.0.0.0/8", v6));
}

TEST(ClientProxyRules, PicksTheProxyVariableByTargetScheme) {
  const ProxyEnv env{"http://hp:1", "http://sp:2", ""};
  EXPECT_EQ(select_proxy(env, must_parse("https://api.mistral.ai/")), "http://sp:2");
  EXPECT_EQ(select_proxy(env, must_parse("http://api.mistral.ai/")), "http://hp:1");
  const ProxyEnv only_https{"", "http://sp:2", ""};
  EXPECT_EQ(select_proxy(only_https, must_parse("http://api.mistral.ai/")), "");
}

TEST(ClientProxyRules, NeverProxiesLoopback) {
  const ProxyEnv env{"http://hp:1", "http://sp:2", ""};
  for (const char* url : {"http://127.0.0.1:4000/", "http://127.8.9.10/", "http://localhost/",
                          "https://LOCALHOST:8443/", "http://[::1]/", "http://emu.localhost/"}) {
    EXPECT_EQ(select_proxy(env, must_parse(url)), "") << url;
  }
}

TEST(ClientProxyRules, BypassesTheProxyForNoProxyHosts) {
  const ProxyEnv env{"http://hp:1", "http://sp:2", "mistral.ai,10.0.0.0/8"};
  EXPECT_EQ(select_proxy(env, must_parse("https://api.mistral.ai/")), "");
  EXPECT_EQ(select_proxy(env, must_parse("http://10.9.9.9/")), "");
  EXPECT_EQ(select_proxy(env, must_parse("https://api.openai.com/")), "http://sp:2");
}

TEST(ClientProxyRules, ReadsLowercaseVariablesBeforeUppercaseOnes) {
  using client_testing::ScopedEnv;
  ScopedEnv a("https_proxy", "http://lower:1");
  ScopedEnv b("HTTPS_PROXY", "http://upper:1");
  ScopedEnv c("http_proxy", "");
  ScopedEnv d("HTTP_PROXY", "http://upper:2");
  ScopedEnv e("no_proxy", "");
  ScopedEnv f("NO_PROXY", "corp");
  const ProxyEnv env = proxy_env_from_environment();
  EXPECT_EQ(env.https_proxy, "http://lower:1");
  EXPECT_EQ(env.http_proxy, "http://upper:2");
  EXPECT_EQ(env.no_proxy, "corp");
}

TEST(ClientProxyRules, ParsesProxyUrlsWithOrWithoutScheme) {
  auto bare = parse_proxy("proxy.corp:3128");
  ASSERT_TRUE(bare.ok());
  EXPECT_EQ(bare->host, "proxy.corp");
  EXPECT_EQ(bare->port, 3128);
  EXPECT_FALSE(bare->tls);
  auto with_user = parse_proxy("http://user:pw@10.0.0.1:8080");
  ASSERT_TRUE(with_user.ok());
  EXPECT_EQ(with_user->userinfo, "user:pw");
  EXPECT_EQ(basic_auth(with_user->userinfo), "Basic dXNlcjpwdw==");
  EXPECT_FALSE(parse_proxy("https://proxy.corp:443").ok());
  EXPECT_FALSE(parse_proxy("socks5://proxy.corp:1080").ok());
}

TEST(ClientProxyRules, EncodesBasicCredentialsWithPadding) {
  EXPECT_EQ(basic_auth(""), "Basic ");
  EXPECT_EQ(basic_auth("a"), "Basic YQ==");
  EXPECT_EQ(basic_auth("ab"), "Basic YWI=");
  EXPECT_EQ(basic_auth("abc"), "Basic YWJj");
  EXPECT_EQ(basic_auth("Aladdin:open sesame"), "Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ==");
}

}  // namespace
}  // namespace litellm::http::detail

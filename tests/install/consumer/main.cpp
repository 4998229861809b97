// Prints the completion's JSON; exits 1 on a LiteLLM exception.
#include <iostream>

#include <litellm/litellm.hpp>

int main() {
  try {
    auto r = litellm::completion({.model = "mistral/mistral-small-latest",
                                  .messages = {litellm::Message::user("Hello from a consumer")}});
    std::cout << r << "\n";
    return r.choices.empty() ? 1 : 0;
  } catch (const litellm::APIError& e) {
    std::cerr << e.what() << "\n";
    return 1;
  }
}

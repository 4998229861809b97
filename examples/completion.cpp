// LiteLLM:  response = completion(model="mistral/mistral-small-latest",
//                                 messages=[{"role": "user", "content": "Hello, how are you?"}])
#include <iostream>

#include <litellm/litellm.hpp>

int main() {
  try {
    auto response = litellm::completion({
        .model = "mistral/mistral-small-latest",
        .messages = {litellm::Message::user("Hello, how are you?")},
    });
    std::cout << response << "\n";
    std::cerr << "cost: $" << response.response_cost << "\n";
  } catch (const litellm::APIError& e) {
    std::cerr << e.what() << "\n";
    return 1;
  }
}

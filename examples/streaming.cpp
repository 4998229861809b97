// LiteLLM:  for chunk in completion(model="mistral/mistral-small-latest", messages=[...],
//                                   stream=True): print(chunk)
#include <iostream>

#include <litellm/litellm.hpp>

int main() {
  try {
    auto stream = litellm::completion_stream({
        .model = "mistral/mistral-small-latest",
        .messages = {litellm::Message::user("Write a haiku about the sea.")},
        .include_usage = true,
    });
    for (const auto& chunk : stream)
      std::cout << chunk << "\n";
    if (auto usage = stream.usage()) {
      std::cerr << "tokens: " << usage->total_tokens << ", cost: $" << stream.response_cost()
                << "\n";
    }
  } catch (const litellm::APIError& e) {
    std::cerr << e.what() << "\n";
    return 1;
  }
}

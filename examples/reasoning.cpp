// LiteLLM:  completion(model="mistral/magistral-medium-2506", messages=[...],
//                      reasoning_effort="medium")  ->  message.reasoning_content
#include <iostream>

#include <litellm/litellm.hpp>

int main() {
  try {
    auto response = litellm::completion({
        .model = "mistral/magistral-medium-2506",
        .messages = {litellm::Message::user("What is 15% of 240? Think it through.")},
        .reasoning_effort = "medium",
    });
    std::cout << response << "\n";
    const auto& m = response.choices.at(0).message;
    std::cerr << "reasoning: " << m.reasoning_content.value_or("(none)") << "\n"
              << "answer: " << m.content.value_or("") << "\n";
  } catch (const litellm::APIError& e) {
    std::cerr << e.what() << "\n";
    return 1;
  }
}

// LiteLLM:  embedding(model="mistral/mistral-embed", input=["good morning from litellm"])
#include <iostream>

#include <litellm/litellm.hpp>

int main() {
  try {
    auto response = litellm::embedding({
        .model = "mistral/mistral-embed",
        .input = {"good morning from litellm", "good evening from litellm"},
    });
    std::cout << response << "\n";
    std::cerr << response.data.size() << " vectors of " << response.data.at(0).embedding.size()
              << " floats\n";
  } catch (const litellm::APIError& e) {
    std::cerr << e.what() << "\n";
    return 1;
  }
}

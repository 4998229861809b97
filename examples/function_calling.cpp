// LiteLLM's function-calling sample: the model calls get_current_weather, we answer the call,
// and the model replies in text.
#include <iostream>

#include <boost/json.hpp>
#include <litellm/litellm.hpp>

int main() {
  namespace json = boost::json;
  try {
    litellm::Tool weather{.function = {
                              .name = "get_current_weather",
                              .description = "Get the current weather in a given location",
                              .parameters = json::parse(R"({
                                "type": "object",
                                "properties": {
                                  "location": {"type": "string",
                                               "description": "The city and state, e.g. San Francisco, CA"},
                                  "unit": {"type": "string", "enum": ["celsius", "fahrenheit"]}
                                },
                                "required": ["location"]})"),
                          }};
    litellm::CompletionParams params{
        .model = "mistral/mistral-small-latest",
        .messages = {litellm::Message::user("What's the weather like in Boston today?")},
        .tools = {weather},
        .tool_choice = "auto",
    };
    auto first = litellm::completion(params);
    std::cout << first << "\n";

    const auto& msg = first.choices.at(0).message;
    if (msg.tool_calls.empty()) return 0;
    params.messages.push_back(msg);
    for (const auto& call : msg.tool_calls) {
      params.messages.push_back(litellm::Message::tool(
          call.id, R"({"location": "Boston, MA", "temperature": "72", "unit": "fahrenheit"})"));
    }
    auto second = litellm::completion(params);
    std::cout << second << "\n";
  } catch (const litellm::APIError& e) {
    std::cerr << e.what() << "\n";
    return 1;
  }
}

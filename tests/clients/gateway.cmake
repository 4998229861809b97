litellm_node_test(openai_sdk FILE openai.test.mjs NEEDS litellm_gateway_bin mistral-emulator)
litellm_node_test(langchain FILE langchain.test.mjs NEEDS litellm_gateway_bin mistral-emulator)

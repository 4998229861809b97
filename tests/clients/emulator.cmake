# Mistral's official TypeScript SDK against the emulator binary.
litellm_node_test(mistral_sdk FILE mistral_sdk.test.mjs NEEDS mistral-emulator)

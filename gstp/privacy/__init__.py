"""Personal information under Québec's Law 25: policy, access, export, deletion, retention."""

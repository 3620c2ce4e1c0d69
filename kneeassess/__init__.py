"""KneeAssess: self-screening for runners with knee pain. The domain never imports Streamlit."""
